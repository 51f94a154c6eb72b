import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  inject,
  input,
  signal,
  viewChild,
  type OnInit,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { AuthFormState } from './auth-form-state';
import { TERMINAL_CODES } from './auth-messages';
import { CognitoClient } from './cognito';
import {
  CODE_PATTERN,
  CODE_PROBLEMS,
  EMAIL_PROBLEMS,
  NEW_PASSWORD_PROBLEMS,
  fieldProblem,
  poolPasswordValidator,
} from './field-problems';
import { PasswordRules } from './password-rules';
import { returnParams, safeReturnUrl } from './return-url';
import { Session } from './session';

/**
 * Creating an account: email and password (checked against the pool's policy as it is typed), then
 * the confirmation code the pool e-mails (skipped when the pool confirms on its own; a new one can be
 * asked for), then straight into the sale.
 */
@Component({
  selector: 'app-sign-up',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, PasswordRules],
  templateUrl: './sign-up.html',
  styleUrl: './auth-form.css',
})
export class SignUp implements OnInit {
  private readonly cognito = inject(CognitoClient);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly formElement = viewChild<ElementRef<HTMLFormElement>>('formElement');

  /** Query parameter: an unconfirmed account's email, sent here by the sign-in page. */
  readonly confirm = input<string>();
  /** Query parameter: the page the visitor was on (a product, at Buy), to come back to once signed in. */
  readonly returnUrl = input<string>();

  protected readonly step = signal<'details' | 'confirm'>('details');
  private readonly state = new AuthFormState(inject(Injector), () => this.formElement()?.nativeElement);
  protected readonly busy = this.state.busy;
  protected readonly problem = this.state.problem;
  protected readonly notice = this.state.notice;
  protected readonly inbox = this.state.inbox;
  protected readonly terminalCodes = TERMINAL_CODES;
  protected readonly account = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, poolPasswordValidator] }),
  });
  protected readonly code = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.pattern(CODE_PATTERN)],
  });
  /** Kept only in memory, to sign in right after confirming. */
  protected password: string | undefined;

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

  protected emailProblem(): string | undefined {
    return fieldProblem(this.account.controls.email, EMAIL_PROBLEMS);
  }

  protected passwordProblem(): string | undefined {
    return fieldProblem(this.account.controls.password, NEW_PASSWORD_PROBLEMS);
  }

  /** Carries the page to come back to through signing in instead. */
  protected returnParam(): Record<string, string> {
    return returnParams(this.returnUrl());
  }

  protected codeProblem(): string | undefined {
    return fieldProblem(this.code, CODE_PROBLEMS);
  }

  protected async createAccount(): Promise<void> {
    if (this.busy()) return;
    if (this.account.invalid) return this.state.showProblems(this.account);
    await this.state.run('signUp', async () => {
      const password = this.account.controls.password.value;
      const { confirmed } = await this.cognito.signUp(this.email, password);
      this.password = password;
      if (confirmed) await this.finish();
      else {
        this.step.set('confirm');
        this.state.focusHeadingAfterRender();
      }
    });
  }

  protected async confirmAccount(): Promise<void> {
    if (this.busy()) return;
    if (this.code.invalid) return this.state.showProblems(this.code);
    await this.state.run('confirm', async () => {
      await this.cognito.confirmSignUp(this.email, this.code.value.trim());
      await this.finish();
    });
  }

  protected async resendCode(): Promise<void> {
    if (this.busy()) return;
    await this.state.run('resend', async () => {
      await this.cognito.resendConfirmationCode(this.email);
      this.notice.set(
        this.inbox === 'terminal'
          ? `A new code for ${this.email} is ${TERMINAL_CODES}.`
          : `We sent a new code to ${this.email}.`,
      );
    });
  }

  private async finish(): Promise<void> {
    if (this.password === undefined) {
      await this.router.navigate(['/sign-in'], {
        queryParams: { reason: 'confirmed', email: this.email, ...returnParams(this.returnUrl()) },
      });
      return;
    }
    await this.session.signIn(this.email, this.password);
    this.password = undefined;
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }
}
