import { InvalidInputError } from './errors.js';

/**
 * A people search text that is blank or too long. Its own file because errors.ts is the
 * shared base; the API maps the code to 400, as its schema answers the same texts.
 */
export class InvalidSearchQueryError extends InvalidInputError {
  readonly code = 'invalid_search_query';
  constructor(maxLength: number) {
    super(`q is 1 to ${maxLength} characters, not only spaces.`);
  }
}
