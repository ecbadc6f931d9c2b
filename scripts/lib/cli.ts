import { PipelineError } from './run-tool.ts';

/** Runs a script's main function; a PipelineError becomes its message and exit code 1, not a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof PipelineError) {
      console.error(`\n✖ ${error.message}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
}

export function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
