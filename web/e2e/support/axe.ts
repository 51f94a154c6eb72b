import { readFileSync } from 'node:fs';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's browser build, injected into the page under test. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the target the storefront is held to. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page as it is now and returns the serious and critical violations, one line
 * each with the elements concerned, so a failing test says what to fix.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(
        document,
        { runOnly: { type: 'tag', values: tags } },
      ),
    WCAG_AA_TAGS,
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

/** WCAG contrast ratio of two CSS colours given as `rgb(r, g, b)` or `rgba(…)`. */
export function contrastRatio(first: string, second: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

/**
 * The focused element's outline colour and the colour of what it is drawn on: the nearest ancestor
 * (the element itself excluded: the ring sits outside it) with an opaque background.
 */
export async function focusRingColours(page: Page): Promise<{ ring: string; background: string; element: string }> {
  return page.evaluate(() => {
    const focused = document.activeElement as HTMLElement;
    let behind: HTMLElement | null = focused.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (behind) {
      const color = getComputedStyle(behind).backgroundColor;
      if (color !== 'transparent' && !color.startsWith('rgba(0, 0, 0, 0)')) {
        background = color;
        break;
      }
      behind = behind.parentElement;
    }
    const style = getComputedStyle(focused);
    return {
      ring: style.outlineStyle === 'none' ? 'none' : style.outlineColor,
      background,
      element: focused.outerHTML.slice(0, 80),
    };
  });
}
