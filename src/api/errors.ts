/** Errors that only exist at the HTTP edge; the core's errors keep their own codes. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'A valid bearer token is required.') {
    super(401, 'unauthorized', message);
  }
}

/** The one table from domain error codes to HTTP statuses. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  message_blank: 422,
  message_too_long: 422,
  cannot_message_self: 422,
  invalid_text: 422,
  invalid_handle: 422,
  invalid_display_name: 422,
  invalid_client_message_id: 400,
  invalid_limit: 400,
  invalid_cursor: 400,
  invalid_uuid: 400,
  invalid_search_query: 400,
  user_not_found: 404,
  message_group_not_found: 404,
  message_not_found: 404,
  edit_window_closed: 403,
  blocked: 403,
  cannot_block_self: 422,
  handle_taken: 409,
  user_exists: 409,
  write_conflict: 503,
  unavailable: 503,
};
