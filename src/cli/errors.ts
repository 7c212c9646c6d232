/** A command line the CLI cannot run as given; printed as one line, exit status 1. */
export class UsageError extends Error {
  readonly code = 'usage';
}
