import { ApiError, apiErrorFrom, isAbortError, NETWORK_ERROR } from './api-error';

export interface ApiClient {
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>;
  patch<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>;
  /** Resolves once the server answered 2xx (204: no body). */
  delete(path: string, signal?: AbortSignal): Promise<void>;
}

export interface ApiClientOptions {
  /** Read on every request, so a client made once always sends the current token. */
  getToken: () => string | null;
  /** A request that carried a token was refused with 401: the session is over. */
  onUnauthorized: () => void;
  /**
   * Before giving up on a 401 to `refused`: a fresh token for the same person (Cognito's
   * refresh token), or null. The request is then sent once more with it.
   */
  renewToken?: (refused: string) => Promise<string | null>;
}

/** JSON over fetch, same origin (in dev, vite proxies /api), errors as ApiError. */
export const createApiClient = ({
  getToken,
  onUnauthorized,
  renewToken,
}: ApiClientOptions): ApiClient => {
  const request = async <T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    renewed = false,
  ): Promise<T> => {
    const token = getToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError(0, NETWORK_ERROR, 'Cannot reach the server. Check your connection.');
    }
    if (response.status === 401 && token) {
      const fresh = renewed || !renewToken ? null : await renewToken(token);
      if (fresh && fresh !== token) return request(method, path, body, signal, true);
      onUnauthorized();
    }
    if (!response.ok) throw await apiErrorFrom(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };

  return {
    get: (path, signal) => request('GET', path, undefined, signal),
    post: (path, body, signal) => request('POST', path, body, signal),
    patch: (path, body, signal) => request('PATCH', path, body, signal),
    delete: (path, signal) => request<void>('DELETE', path, undefined, signal),
  };
};

/** Encodes one path segment (handles and uuids are safe today; this keeps it so). */
export const segment = (value: string): string => encodeURIComponent(value);

/** `?limit=..&cursor=..` without empty parameters. */
export const pageQuery = (limit: number, cursor: string | null): string => {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return `?${params.toString()}`;
};
