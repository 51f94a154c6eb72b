import { CognitoError } from './cognito';

export type AuthOperation = 'signIn' | 'signUp' | 'confirm';

/**
 * Plain words for Cognito's refusals. Mapped per operation because one exception means different
 * things in different steps: cognito-local answers a wrong password at sign-in with
 * InvalidPasswordException, which at sign-up means a weak password.
 */
export function authErrorMessage(error: unknown, operation: AuthOperation): string {
  if (!(error instanceof CognitoError)) {
    return 'Could not reach the sign-in service. Check your connection and try again.';
  }
  switch (error.type) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      return operation === 'confirm' ? 'This account cannot be confirmed any more. Try signing in.' : 'Wrong email or password.';
    case 'InvalidPasswordException':
      return operation === 'signIn'
        ? 'Wrong email or password.'
        : 'That password is too weak: use at least 8 characters with upper- and lower-case letters and a number.';
    case 'UserNotConfirmedException':
      return 'This account is not confirmed yet. Enter the code we e-mailed you.';
    case 'UsernameExistsException':
      return 'An account with this email already exists. Sign in instead.';
    case 'CodeMismatchException':
      return 'That confirmation code is not right. Check the e-mail and try again.';
    case 'ExpiredCodeException':
      return 'That confirmation code has expired.';
    case 'InvalidParameterException':
      return operation === 'signUp' ? 'Please enter a valid email address and password.' : 'Please check what you entered.';
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return 'Too many attempts. Wait a minute and try again.';
    case 'PasswordResetRequiredException':
      return 'This account needs a new password before it can sign in.';
    default:
      return 'Signing in failed unexpectedly. Please try again.';
  }
}
