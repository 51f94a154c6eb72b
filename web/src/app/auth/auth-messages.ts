import { CognitoError } from './cognito';

/** The account steps, each with its own reading of Cognito's refusals. */
export type AuthOperation = 'signIn' | 'signUp' | 'confirm' | 'resend' | 'forgot' | 'reset';

/** Where the shopper finds the codes the pool sends: in their e-mail, or in the `npm start` terminal. */
export type CodeInbox = 'email' | 'terminal';

/** Locally: where the codes are, in the words every message about a code uses. */
export const TERMINAL_CODES = 'printed in the terminal running npm start';

/**
 * cognito-local sends no e-mail (the local stack prints each code in its terminal) and answers over plain
 * http on this machine or its network; Cognito in AWS answers only over https, and e-mails the codes.
 */
export function codeInbox(cognitoEndpoint: string): CodeInbox {
  try {
    return new URL(cognitoEndpoint).protocol === 'http:' ? 'terminal' : 'email';
  } catch {
    return 'email';
  }
}

/**
 * Plain words for Cognito's refusals. Mapped per operation because one exception means different
 * things in different steps: cognito-local answers a wrong password at sign-in with
 * InvalidPasswordException, which at sign-up means a weak password.
 */
export function authErrorMessage(error: unknown, operation: AuthOperation, inbox: CodeInbox = 'email'): string {
  const checkCode =
    inbox === 'terminal' ? `The code is ${TERMINAL_CODES}: check it and try again.` : 'Check the e-mail and try again.';
  if (!(error instanceof CognitoError)) {
    return 'Could not reach the sign-in service. Check your connection and try again.';
  }
  switch (error.type) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      if (operation === 'reset') return `That reset code is not right. ${checkCode}`;
      return operation === 'confirm' || operation === 'resend'
        ? 'This account cannot be confirmed any more. Try signing in.'
        : 'Wrong email or password.';
    case 'InvalidPasswordException':
      return operation === 'signIn'
        ? 'Wrong email or password.'
        : 'That password is too weak: it must meet every rule listed under the field.';
    case 'UserNotConfirmedException':
      return inbox === 'terminal'
        ? `This account is not confirmed yet. Enter its code, ${TERMINAL_CODES}.`
        : 'This account is not confirmed yet. Enter the code we e-mailed you.';
    case 'UsernameExistsException':
      return 'An account with this email already exists. Sign in instead.';
    case 'CodeMismatchException':
      return `That ${operation === 'reset' ? 'reset' : 'confirmation'} code is not right. ${checkCode}`;
    case 'ExpiredCodeException':
      return 'That code has expired. Ask for a new one.';
    case 'InvalidParameterException':
      if (operation === 'forgot')
        return 'This account has no confirmed email to send a code to. Finish signing up first.';
      return operation === 'signUp'
        ? 'Please enter a valid email address and password.'
        : 'Please check what you entered.';
    case 'CodeDeliveryFailureException':
      return 'The code could not be e-mailed. Please try again in a moment.';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return 'Too many attempts. Wait a minute and try again.';
    case 'PasswordResetRequiredException':
      return 'This account needs a new password before it can sign in. Use "Forgot your password?".';
    case 'Unsupported':
      // Only cognito-local answers so (it lacks ResendConfirmationCode); the first code still works.
      return `This local sign-in service cannot send a new code. The first code still works: it is ${TERMINAL_CODES}.`;
    default:
      return 'Signing in failed unexpectedly. Please try again.';
  }
}
