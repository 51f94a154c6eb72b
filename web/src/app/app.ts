import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, skip } from 'rxjs';
import { returnParams } from './auth/return-url';
import { Session } from './auth/session';
import { RuntimeConfig } from './core/config';
import { focusMainHeading } from './core/focus';

/** The shell: skip link, header with navigation and the signed-in shopper, and the current page. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(Session);
  protected readonly configProblem = inject(RuntimeConfig).problem;
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');
  /** The header's Sign in and Sign up bring a visitor back to the page they were on. */
  protected readonly here = signal<Record<string, string>>({});
  /** Said in the shell's live region after a sign-out (here or in another tab), until the shopper signs in again. */
  protected readonly sessionNotice = signal('');

  constructor() {
    let wasSignedIn = this.session.signedIn();
    // The session can end without a click here (refresh refused, sign-out in another tab).
    effect(() => {
      const signedIn = this.session.signedIn();
      if (wasSignedIn && !signedIn) {
        const reason = untracked(this.session.endReason);
        // An expired session is explained on the sign-in page; a sign-out the shopper asked for is confirmed here.
        untracked(() => this.sessionNotice.set(reason ? '' : 'You have signed out.'));
        void this.router.navigate(['/sign-in'], reason ? { queryParams: { reason } } : {});
      }
      if (signedIn) untracked(() => this.sessionNotice.set(''));
      wasSignedIn = signedIn;
    });
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe((event) => this.here.set(returnParams(event.urlAfterRedirects)));
    // After each route change (sign-in included) but not the first load, start the shopper at the
    // new page's heading rather than on a link of the page they left.
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        skip(1),
        takeUntilDestroyed(),
      )
      .subscribe(() => afterNextRender(() => focusMainHeading(), { injector: this.injector }));
  }

  /**
   * With `<base href="/">`, the link's `#main` would load the app's root: move focus in place instead.
   * The href stays for what links do without a click handler (copying, reading the target).
   */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.main().nativeElement.focus();
  }

  protected signOut(): void {
    this.session.signOut();
  }
}
