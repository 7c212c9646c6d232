/** An API answer other than 2xx, or no answer at all (status 0, code `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_ERROR = 'network_error';

/** Reads the API's `{"error": {"code", "message"}}`, tolerating proxies that answer in HTML. */
export const apiErrorFrom = async (response: Response): Promise<ApiError> => {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(response.status, code, message);
    }
  } catch {
    // Not JSON: fall through to a generic error.
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status}.`);
};

export const isAbortError = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';

/** A sentence for people, whatever was thrown. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong.';
