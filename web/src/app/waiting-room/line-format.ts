/** Words for a place in line: "You're in line: about 12 ahead, ~3 min". */
export function lineMessage(position: number, waitSeconds: number): string {
  const ahead = position === 0 ? 'you are next' : `about ${position.toLocaleString('en-US')} ahead`;
  return `You're in line: ${ahead}, ${describeWait(waitSeconds)}`;
}

/** "~3 min" from a wait in seconds; under a minute is "less than a minute". */
export function describeWait(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  return `~${Math.round(seconds / 60).toLocaleString('en-US')} min`;
}

/** Time of day of an instant, in the shopper's locale: "10:42 AM". */
export function timeOfDay(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
}

/** Polls never sooner than 1 s nor later than 5 min, whatever the server says. */
export function pollDelayMs(retryAfterSeconds: number | undefined): number {
  const seconds = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 2;
  return Math.min(300, Math.max(1, seconds)) * 1_000;
}
