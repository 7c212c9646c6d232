import { codePointLength, MAX_MESSAGE_LENGTH } from '../../../../src/contract/limits';

// The counter appears this close to the limit: before that it is only noise.
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 100;

export interface MessageLength {
  length: number;
  max: number;
  showCounter: boolean;
  tooLong: boolean;
  blank: boolean;
}

/**
 * Measured as the server does: surrounding white space trimmed (it is not stored), then
 * code points, so that an emoji counts one.
 */
export const measureMessage = (text: string): MessageLength => {
  const trimmed = text.trim();
  const length = codePointLength(trimmed);
  return {
    length,
    max: MAX_MESSAGE_LENGTH,
    showCounter: length >= COUNTER_FROM,
    tooLong: length > MAX_MESSAGE_LENGTH,
    blank: trimmed.length === 0,
  };
};
