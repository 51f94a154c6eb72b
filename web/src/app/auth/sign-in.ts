import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  computed,
  inject,
  input,
  viewChild,
  type OnInit,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { authErrorMessage } from './auth-messages';
import { CognitoError } from './cognito';
import { AuthFormState } from './auth-form-state';
import { EMAIL_PROBLEMS, fieldProblem } from './field-problems';
import { returnParams, safeReturnUrl } from './return-url';
import { Session } from './session';

@Component({
  selector: 'app-sign-in',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './sign-in.html',
  styleUrl: './auth-form.css',
})
export class SignIn implements OnInit {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** Query parameters, bound by the router. */
  readonly reason = input<string>();
  readonly returnUrl = input<string>();
  readonly email = input<string>();

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  private readonly formElement = viewChild<ElementRef<HTMLFormElement>>('formElement');
  private readonly state = new AuthFormState(inject(Injector), () => this.formElement()?.nativeElement);
  protected readonly busy = this.state.busy;
  protected readonly problem = this.state.problem;
  protected readonly notice = computed(() => {
    if (this.reason() === 'expired') return 'Your session has ended. Please sign in again.';
    if (this.reason() === 'confirmed') return 'Your account is confirmed. Please sign in.';
    return undefined;
  });

  protected emailProblem(): string | undefined {
    return fieldProblem(this.form.controls.email, EMAIL_PROBLEMS);
  }

  protected passwordProblem(): string | undefined {
    return fieldProblem(this.form.controls.password, { required: 'Enter your password.' });
  }

  /** Carries the page to come back to through creating an account. */
  protected returnParam(): Record<string, string> {
    return returnParams(this.returnUrl());
  }

  /** Carries the typed email to the reset page, so it need not be typed twice. */
  protected emailParam(): Record<string, string> {
    const email = this.form.controls.email.value.trim();
    return email ? { email } : {};
  }

  ngOnInit(): void {
    const email = this.email();
    if (email) this.form.controls.email.setValue(email);
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    if (this.form.invalid) return this.state.showProblems(this.form);
    const { email, password } = this.form.getRawValue();
    this.busy.set(true);
    this.problem.set(undefined);
    try {
      await this.session.signIn(email.trim(), password);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UserNotConfirmedException') {
        await this.router.navigate(['/sign-up'], {
          queryParams: { confirm: email.trim(), ...returnParams(this.returnUrl()) },
        });
        return;
      }
      this.problem.set(authErrorMessage(error, 'signIn'));
    } finally {
      this.busy.set(false);
    }
  }
}
