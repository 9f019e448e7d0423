// The run file's extension, apart from run-file.ts so the Runs view can name it without
// loading the file reader (and the checkpoint code it brings) up front.
export const RUN_FILE_EXTENSION = '.tracelab-run';
