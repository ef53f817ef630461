/**
 * The user's input: the machines file, the template and its rendering per machine, shards,
 * attachments. Every problem names the file and line before anything is sent.
 *
 * <p>Imports nothing from the rest of tfleet.
 */
package io.tfleet.job;
