import type { ComponentFixture } from '@angular/core/testing';

/** Types into the fields (selector → value) as a shopper would, submits the form and lets the page settle. */
export async function fillAndSubmit(fixture: ComponentFixture<unknown>, fields: Record<string, string>): Promise<void> {
  const page = fixture.nativeElement as HTMLElement;
  for (const [selector, value] of Object.entries(fields)) {
    const input = page.querySelector(selector) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
  page.querySelector('form')!.dispatchEvent(new Event('submit'));
  await settle(fixture);
}

/** Clicks the button whose text contains `text`, and lets the page settle. */
export async function clickButton(fixture: ComponentFixture<unknown>, text: string): Promise<void> {
  const page = fixture.nativeElement as HTMLElement;
  const button = Array.from(page.querySelectorAll('button')).find((candidate) => candidate.textContent?.includes(text));
  if (!button) throw new Error(`no button with "${text}"`);
  button.click();
  await settle(fixture);
}

async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
