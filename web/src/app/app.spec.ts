import { Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { App } from './app';
import { Session } from './auth/session';
import { RuntimeConfig } from './core/config';

@Component({ selector: 'app-page-a', template: '<h1>Page A</h1><a href="/x">link</a>' })
class PageA {}
@Component({ selector: 'app-page-b', template: '<h1>Page B</h1>' })
class PageB {}

describe('App shell', () => {
  let fixture: ComponentFixture<App>;
  const session = {
    signedIn: signal(true),
    email: signal('ada@example.com'),
    endReason: signal<'expired' | undefined>(undefined),
    signOut: jest.fn(),
  };

  async function render(configProblem?: string): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: '', component: PageA },
          { path: 'b', component: PageB },
          { path: 'sign-in', component: PageB },
        ]),
        { provide: Session, useValue: session },
      ],
    });
    if (configProblem) TestBed.inject(RuntimeConfig).problem.set(configProblem);
    fixture = TestBed.createComponent(App);
    document.body.appendChild(fixture.nativeElement);
    await TestBed.inject(Router).navigateByUrl('/');
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  afterEach(() => {
    (fixture.nativeElement as HTMLElement).remove();
    session.signedIn.set(true);
    session.endReason.set(undefined);
  });

  it('skips to the main content in place, without loading another page', async () => {
    const page = await render();
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/b');
    await fixture.whenStable();
    const link = page.querySelector('.skip-link') as HTMLAnchorElement;

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);

    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(page.querySelector('main'));
    expect(router.url).toBe('/b');
  });

  it('moves focus to the new page heading after a route change, not on the first load', async () => {
    const page = await render();
    expect(document.activeElement?.tagName).not.toBe('H1');

    await TestBed.inject(Router).navigateByUrl('/b');
    await fixture.whenStable();

    expect(document.activeElement).toBe(page.querySelector('main h1'));
    expect(document.activeElement?.textContent).toBe('Page B');
    expect(document.activeElement?.getAttribute('tabindex')).toBe('-1');
  });

  it('shows the "cannot start" page without the navigation, even for a signed-in shopper', async () => {
    const page = await render('GET /config.json answered 500');
    expect(page.querySelector('h1')?.textContent).toBe('The storefront cannot start');
    expect(page.querySelector('nav')).toBeNull();
    expect(page.querySelector('header button')).toBeNull();
  });

  it('shows the navigation to a signed-in shopper when the storefront is configured', async () => {
    const page = await render();
    expect(page.querySelector('nav')?.textContent).toContain('My orders');
  });

  it('offers a visitor Sign in and Sign up in the header, each bringing them back to the page they are on', async () => {
    session.signedIn.set(false);
    try {
      const page = await render();
      await TestBed.inject(Router).navigateByUrl('/b');
      await fixture.whenStable();

      const links = Array.from(page.querySelectorAll<HTMLAnchorElement>('header .account a'));
      expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
        ['Sign in', '/sign-in?returnUrl=%2Fb'],
        ['Sign up', '/sign-up?returnUrl=%2Fb'],
      ]);
      expect(page.querySelector('nav')).toBeNull();
    } finally {
      session.signedIn.set(true);
    }
  });

  it('says "You have signed out" in a live region once the shopper signs out', async () => {
    const page = await render();
    const region = page.querySelector('[data-notice="session"]');
    expect(region?.getAttribute('role')).toBe('status');
    expect(region?.textContent?.trim()).toBe('');

    (page.querySelector('header button') as HTMLButtonElement).click();
    session.signedIn.set(false); // what Session.signOut does
    await fixture.whenStable();

    expect(session.signOut).toHaveBeenCalled();
    expect(page.querySelector('[data-notice="session"]')?.textContent?.trim()).toBe('You have signed out.');
  });

  it('drops the sign-out notice when the shopper signs in again, and says nothing of it when the session expired', async () => {
    const page = await render();
    session.signedIn.set(false);
    await fixture.whenStable();
    session.signedIn.set(true);
    await fixture.whenStable();
    expect(page.querySelector('[data-notice="session"]')?.textContent?.trim()).toBe('');

    session.endReason.set('expired');
    session.signedIn.set(false);
    await fixture.whenStable();
    expect(page.querySelector('[data-notice="session"]')?.textContent?.trim()).toBe('');
  });
});
