import { ChangeDetectionStrategy, Component, effect, inject, untracked } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Session } from './auth/session';
import { RuntimeConfig } from './core/config';

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

  constructor() {
    let wasSignedIn = this.session.signedIn();
    // The session can end without a click here (refresh refused, sign-out in another tab).
    effect(() => {
      const signedIn = this.session.signedIn();
      if (wasSignedIn && !signedIn) {
        const reason = untracked(this.session.endReason);
        void this.router.navigate(['/sign-in'], reason ? { queryParams: { reason } } : {});
      }
      wasSignedIn = signedIn;
    });
  }

  protected signOut(): void {
    this.session.signOut();
  }
}
