import { ChangeDetectionStrategy, Component, inject, input, signal, type OnInit } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { authErrorMessage } from './auth-messages';
import { CognitoClient } from './cognito';
import { Session } from './session';

/**
 * Creating an account: email and password, then the confirmation code the pool e-mails (skipped
 * when the pool confirms on its own), then straight into the sale.
 */
@Component({
  selector: 'app-sign-up',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './sign-up.html',
  styleUrl: './auth-form.css',
})
export class SignUp implements OnInit {
  private readonly cognito = inject(CognitoClient);
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** Query parameter: an unconfirmed account's email, sent here by the sign-in page. */
  readonly confirm = input<string>();

  protected readonly step = signal<'details' | 'confirm'>('details');
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | undefined>(undefined);
  protected readonly account = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(8)] }),
  });
  protected readonly code = new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.pattern(/^\s*\S+\s*$/)] });
  /** Kept only in memory, to sign in right after confirming. */
  private password: string | undefined;

  ngOnInit(): void {
    const email = this.confirm();
    if (email) {
      this.account.controls.email.setValue(email);
      this.step.set('confirm');
    }
  }

  protected get email(): string {
    return this.account.controls.email.value.trim();
  }

  protected async createAccount(): Promise<void> {
    if (this.busy()) return;
    if (this.account.invalid) {
      this.account.markAllAsTouched();
      this.problem.set(
        this.account.controls.email.invalid ? 'Enter a valid email address.' : 'Choose a password of at least 8 characters.',
      );
      return;
    }
    await this.run('signUp', async () => {
      const password = this.account.controls.password.value;
      const { confirmed } = await this.cognito.signUp(this.email, password);
      this.password = password;
      if (confirmed) await this.finish();
      else this.step.set('confirm');
    });
  }

  protected async confirmAccount(): Promise<void> {
    if (this.busy()) return;
    if (this.code.invalid) {
      this.problem.set('Enter the code from the e-mail.');
      return;
    }
    await this.run('confirm', async () => {
      await this.cognito.confirmSignUp(this.email, this.code.value.trim());
      await this.finish();
    });
  }

  private async finish(): Promise<void> {
    if (this.password === undefined) {
      await this.router.navigate(['/sign-in'], { queryParams: { reason: 'confirmed', email: this.email } });
      return;
    }
    await this.session.signIn(this.email, this.password);
    this.password = undefined;
    await this.router.navigateByUrl('/');
  }

  private async run(operation: 'signUp' | 'confirm', work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(undefined);
    try {
      await work();
    } catch (error) {
      this.problem.set(authErrorMessage(error, operation));
    } finally {
      this.busy.set(false);
    }
  }
}
