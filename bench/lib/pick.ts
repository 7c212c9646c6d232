/** One of `items` at random: requests are spread over users and conversations, not replayed. */
export const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(Math.random() * items.length)] as T;
