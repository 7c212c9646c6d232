/** Errors of the local runtime: what a person must fix on their machine. */
export class LocalRuntimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

export const JAVA_INSTALL_HINT =
  'Install Java 17 or newer, e.g. `apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) ' +
  'or `brew install openjdk@17` (macOS), or point DYNAMODB_ENDPOINT at a running DynamoDB Local.';
