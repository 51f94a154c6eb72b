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
import { CognitoClient, CognitoError } from './cognito';
import {
  CODE_PATTERN,
  CODE_PROBLEMS,
  EMAIL_PROBLEMS,
  NEW_PASSWORD_PROBLEMS,
  fieldProblem,
  poolPasswordValidator,
} from './field-problems';
import { PasswordRules } from './password-rules';
import { Session } from './session';

/**
 * A forgotten password: the pool e-mails a code (ForgotPassword), the shopper enters it with a new
 * password that meets the pool's policy (ConfirmForgotPassword), and is signed in with it.
 */
@Component({
  selector: 'app-forgot-password',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, PasswordRules],
  templateUrl: './forgot-password.html',
  styleUrl: './auth-form.css',
})
export class ForgotPassword implements OnInit {
  private readonly cognito = inject(CognitoClient);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly formElement = viewChild<ElementRef<HTMLFormElement>>('formElement');

  /** Query parameter: the email typed on the sign-in page, if any. */
  readonly emailParam = input<string>(undefined, { alias: 'email' });

  protected readonly step = signal<'request' | 'reset'>('request');
  private readonly state = new AuthFormState(inject(Injector), () => this.formElement()?.nativeElement);
  protected readonly busy = this.state.busy;
  protected readonly problem = this.state.problem;
  protected readonly notice = this.state.notice;
  protected readonly inbox = this.state.inbox;
  protected readonly terminalCodes = TERMINAL_CODES;
  protected readonly emailControl = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.email],
  });
  protected readonly reset = new FormGroup({
    code: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(CODE_PATTERN)],
    }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, poolPasswordValidator] }),
  });

  ngOnInit(): void {
    const email = this.emailParam();
    if (email) this.emailControl.setValue(email);
  }

  protected get email(): string {
    return this.emailControl.value.trim();
  }

  protected emailProblem(): string | undefined {
    return fieldProblem(this.emailControl, EMAIL_PROBLEMS);
  }

  protected codeProblem(): string | undefined {
    return fieldProblem(this.reset.controls.code, CODE_PROBLEMS);
  }

  protected passwordProblem(): string | undefined {
    return fieldProblem(this.reset.controls.password, NEW_PASSWORD_PROBLEMS);
  }

  protected async requestCode(): Promise<void> {
    if (this.busy()) return;
    if (this.emailControl.invalid) return this.state.showProblems(this.emailControl);
    await this.state.run('forgot', async () => {
      await this.sendCode();
      this.step.set('reset');
      this.state.focusHeadingAfterRender();
    });
  }

  protected async sendAgain(): Promise<void> {
    if (this.busy()) return;
    await this.state.run('forgot', async () => {
      await this.sendCode();
      this.notice.set(
        this.inbox === 'terminal'
          ? `If an account exists for ${this.email}, a new code is ${TERMINAL_CODES}.`
          : `We sent a new code to ${this.email}, if an account exists for it.`,
      );
    });
  }

  protected async resetPassword(): Promise<void> {
    if (this.busy()) return;
    if (this.reset.invalid) return this.state.showProblems(this.reset);
    const { code, password } = this.reset.getRawValue();
    await this.state.run('reset', async () => {
      await this.cognito.confirmForgotPassword(this.email, code.trim(), password);
      await this.session.signIn(this.email, password);
      await this.router.navigateByUrl('/');
    });
  }

  /**
   * The deployed pool answers an unknown email as if it had sent a code, so accounts cannot be
   * discovered here (preventUserExistenceErrors); cognito-local says UserNotFoundException. Both read
   * the same to the shopper.
   */
  private async sendCode(): Promise<void> {
    try {
      await this.cognito.forgotPassword(this.email);
    } catch (error) {
      if (!(error instanceof CognitoError && error.type === 'UserNotFoundException')) throw error;
    }
  }
}
