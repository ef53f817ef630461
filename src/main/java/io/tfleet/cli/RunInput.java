package io.tfleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tfleet.job.Attachment;
import io.tfleet.job.InputException;
import io.tfleet.job.MachineId;
import io.tfleet.job.MachinesFile;
import io.tfleet.job.RenderedJob;
import io.tfleet.job.Shard;
import io.tfleet.job.Template;
import io.tfleet.store.TreeNames;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's input, read and rendered before anything is sent: bad input stops it with file and line.
 */
final class RunInput {
  private final Context context;
  private final JobOptions job;
  private final boolean quiet;

  RunInput(Context context, JobOptions job, boolean quiet) {
    this.context = context;
    this.job = job;
    this.quiet = quiet;
  }

  /** The template with the variables put in; warns about placeholders nothing replaces. */
  Template template() throws InputException {
    Template template = Template.read(job.templateFile, job.attachmentsRelativeTo, job.variables);
    if (!quiet) {
      for (String name : template.unknownPlaceholders()) {
        context
            .err()
            .println(
                "tfleet: warning: "
                    + job.templateFile
                    + ": $"
                    + name
                    + " is not replaced (no --var "
                    + name
                    + "=...); it reaches the job as written");
      }
    }
    return template;
  }

  /** The machines of this run (its shard): every id checked before anything is sent. */
  List<MachineId> machines() throws InputException {
    List<MachineId> machines = MachinesFile.read(job.machinesFile);
    for (MachineId machine : machines) {
      String problem = TreeNames.problemWith(machine.value());
      if (problem != null) {
        throw new InputException(
            job.machinesFile + ":" + machine.line() + ": " + problem + "; nothing was submitted");
      }
    }
    Shard shard = job.shard();
    return shard == null ? machines : shard.of(machines);
  }

  /** Renders every job first: a bad one must stop the run before anything is sent. */
  static List<RenderedJob> render(Template template, List<MachineId> machines)
      throws InputException {
    List<RenderedJob> jobs = new ArrayList<>(machines.size());
    for (MachineId machine : machines) {
      jobs.add(template.render(machine));
    }
    return jobs;
  }

  /** Prints every job as it would be sent; sends nothing, writes nothing. */
  int dryRun(List<RenderedJob> jobs) {
    PrintStream out = context.out();
    for (RenderedJob rendered : jobs) {
      ObjectNode body = rendered.json().deepCopy();
      body.put("job_id", "<chosen at submission>");
      body.withArray("tags").add("<run tag>");
      out.println("# " + rendered.machine() + ": POST /v1/job");
      out.println(body.toPrettyString());
      for (Attachment a : rendered.attachments()) {
        out.println(
            "# " + rendered.machine() + ": attachment " + a.archivePath() + " <- " + a.local());
      }
    }
    out.println("Dry run: " + jobs.size() + " jobs rendered, nothing sent.");
    return ExitCodes.OK;
  }
}
