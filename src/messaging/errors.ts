/**
 * Domain errors of the messaging core. Each has a stable snake_case `code`; the edges
 * (API, CLI) map codes to their own vocabulary once, in one place.
 */
export abstract class MessagingError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that can never succeed as sent: the caller must change it. */
export abstract class InvalidInputError extends MessagingError {}

export class MessageBlankError extends InvalidInputError {
  readonly code = 'message_blank';
  constructor() {
    super('The message is empty.');
  }
}

export class MessageTooLongError extends InvalidInputError {
  readonly code = 'message_too_long';
  constructor(limit: number, length: number) {
    super(`The message has ${length} characters; at most ${limit} are allowed.`);
  }
}

export class CannotMessageSelfError extends InvalidInputError {
  readonly code = 'cannot_message_self';
  constructor() {
    super('You cannot start a conversation with yourself.');
  }
}

/**
 * Text holding half of a surrogate pair (possible in JSON's \u escapes, never typed by a person).
 * DynamoDB's strings are UTF-8, which has no encoding for it: it would be stored altered, or
 * refused by DynamoDB, depending on who encodes it.
 */
export class InvalidTextError extends InvalidInputError {
  readonly code = 'invalid_text';
  constructor(what: string) {
    super(`The ${what} is not valid Unicode text (it holds half of a surrogate pair).`);
  }
}

export class InvalidHandleError extends InvalidInputError {
  readonly code = 'invalid_handle';
  constructor() {
    super('A handle is 3 to 30 characters of a-z, 0-9 and underscore.');
  }
}

export class InvalidDisplayNameError extends InvalidInputError {
  readonly code = 'invalid_display_name';
  constructor() {
    super('A display name is 1 to 64 characters.');
  }
}

export class InvalidClientMessageIdError extends InvalidInputError {
  readonly code = 'invalid_client_message_id';
  constructor() {
    super('client_message_id is 1 to 64 characters of A-Z, a-z, 0-9, underscore and hyphen.');
  }
}

export class InvalidUuidError extends InvalidInputError {
  readonly code = 'invalid_uuid';
  constructor(what: string) {
    super(`${what} is not a UUID.`);
  }
}

export class InvalidLimitError extends InvalidInputError {
  readonly code = 'invalid_limit';
  constructor(max: number) {
    super(`limit must be a whole number from 1 to ${max}.`);
  }
}

export class InvalidCursorError extends InvalidInputError {
  readonly code = 'invalid_cursor';
  constructor() {
    super('The cursor was not issued for this listing.');
  }
}

export class UserNotFoundError extends MessagingError {
  readonly code = 'user_not_found';
  constructor() {
    super('No user has that handle.');
  }
}

/** Also thrown to non-participants, so that a conversation's existence does not leak. */
export class MessageGroupNotFoundError extends MessagingError {
  readonly code = 'message_group_not_found';
  constructor() {
    super('No such conversation.');
  }
}

/** A message uuid that names no message of the conversation (or of any). */
export class MessageNotFoundError extends MessagingError {
  readonly code = 'message_not_found';
  constructor() {
    super('No such message in this conversation.');
  }
}

/** An edit after the edit window: unsending is still allowed. */
export class EditWindowClosedError extends MessagingError {
  readonly code = 'edit_window_closed';
  constructor(windowSeconds: number) {
    super(`A message can be edited for ${windowSeconds} seconds after it was sent.`);
  }
}

/** A send (or an edit) between two users while either of them blocks the other. */
export class BlockedError extends MessagingError {
  readonly code = 'blocked';
  constructor() {
    super('You cannot send messages in this conversation: one of you blocks the other.');
  }
}

export class CannotBlockSelfError extends InvalidInputError {
  readonly code = 'cannot_block_self';
  constructor() {
    super('You cannot block yourself.');
  }
}

export class HandleTakenError extends MessagingError {
  readonly code = 'handle_taken';
  constructor(handle: string) {
    super(`The handle @${handle} is taken.`);
  }
}

export class UserExistsError extends MessagingError {
  readonly code = 'user_exists';
  constructor() {
    super('A user with that uuid exists already.');
  }
}

/** A write kept colliding with concurrent writes to the same items; safe to retry. */
export class WriteConflictError extends MessagingError {
  readonly code = 'write_conflict';
  constructor(options?: ErrorOptions) {
    super('The write collided with concurrent writes; retry it.', options);
  }
}

/** DynamoDB could not be reached or kept failing; safe to retry later. */
export class StoreUnavailableError extends MessagingError {
  readonly code = 'unavailable';
  constructor(options?: ErrorOptions) {
    super('The database is unavailable; retry shortly.', options);
  }
}

/** The pair already has a conversation: the sender lost a race to start it. Internal. */
export class ConversationExistsError extends MessagingError {
  readonly code = 'conversation_exists';
  constructor() {
    super('The two users already have a conversation.');
  }
}

/** The sender already sent a message with this client_message_id. Internal. */
export class DuplicateClientMessageError extends MessagingError {
  readonly code = 'duplicate_client_message';
  constructor() {
    super('A message with this client_message_id was sent already.');
  }
}

/** A create found its key taken where only a fresh key was expected. */
export class ItemExistsError extends MessagingError {
  readonly code = 'item_exists';
  constructor(what: string) {
    super(`${what} exists already.`);
  }
}

/** A message changed between its read and an edit or unsend of it: read it again. */
export class StaleMessageError extends MessagingError {
  readonly code = 'stale_message';
  constructor() {
    super('The message changed while it was being changed.');
  }
}

/** A row no longer previews the message an edit or unsend changed (or shows a later revision). */
export class PreviewNotShownError extends MessagingError {
  readonly code = 'preview_not_shown';
  constructor() {
    super('No row previews this revision of the message.');
  }
}

/** An unblock of a user who is not blocked: nothing to lift, so the unblock is done. Internal. */
export class NotBlockedError extends MessagingError {
  readonly code = 'not_blocked';
  constructor() {
    super('No block of this user stands.');
  }
}

/** An item a write expected to find is not there. Internal. */
export class MissingItemError extends MessagingError {
  readonly code = 'missing_item';
  constructor(readonly what: string) {
    super(`${what} does not exist.`);
  }
}

/** The GSI showed group rows that have moved since (it is eventually consistent). */
export class StaleGroupRowsError extends MessagingError {
  readonly code = 'stale_group_rows';
  constructor(detail: string) {
    super(`The index showed stale group rows: ${detail}`);
  }
}
