/**
 * Moves focus to the page's main heading, so keyboard and screen-reader users start reading the new
 * page (or the new step of a form) at its top rather than wherever the old one left them. The
 * heading gets tabindex="-1": focusable from code, not a Tab stop.
 */
export function focusMainHeading(root: ParentNode = document): boolean {
  const heading = root.querySelector<HTMLElement>('main h1') ?? root.querySelector<HTMLElement>('h1');
  if (!heading) return false;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
  return true;
}
