/** Where a tab remembers the lines its shopper asked to join, so a reload follows them again. */
const JOINED_LINES_KEY = 'flash-sale.joined-lines';

/** The skus whose line the shopper joined in this tab (sessionStorage: this tab only, gone when it closes). */
export function joinedLines(): string[] {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(JOINED_LINES_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((sku): sku is string => typeof sku === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberJoined(sku: string): void {
  const joined = joinedLines();
  if (joined.includes(sku)) return;
  try {
    sessionStorage.setItem(JOINED_LINES_KEY, JSON.stringify([...joined, sku]));
  } catch {
    // Storage full or refused: the shopper presses Join again after a reload, and keeps the same place.
  }
}
