/**
 * The output tree on disk: machine folders with the original script's files and tfleet's own, the
 * run manifest, atomic writes, and the lock that keeps one writer per tree.
 *
 * <p>Imports nothing from the rest of tfleet.
 */
package io.tfleet.store;
