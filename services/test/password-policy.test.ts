/** The shoppers' password policy as the forms check it: what Cognito would accept, rule by rule. */
import {
  passwordAccepted,
  passwordRules,
  SHOPPER_PASSWORD_POLICY,
  type PasswordPolicy,
} from "../src/domain/password-policy";

describe("shopper password policy", () => {
  test.each([
    ["password", false],
    ["Password", false],
    ["password1", false],
    ["PASSWORD1", false],
    ["Secret1", false],
    ["Secret12", true],
    ["FlashSale1!", true],
    [" Secret12", false],
    ["Secret12 ", false],
    ["Secret 12", true],
    [`Aa1${"x".repeat(253)}`, true],
    [`Aa1${"x".repeat(254)}`, false],
  ])("%j accepted: %s", (password, accepted) => {
    expect(passwordAccepted(password)).toBe(accepted);
  });

  test("names each rule the form lists, and which are still unmet", () => {
    expect(passwordRules("password")).toEqual([
      { text: "At least 8 characters", met: true },
      { text: "A lower-case letter (a-z)", met: true },
      { text: "An upper-case letter (A-Z)", met: false },
      { text: "A number (0-9)", met: false },
    ]);
  });

  test("counts only Basic Latin letters as upper- or lower-case, as Cognito does", () => {
    expect(passwordAccepted("ÉCOLE1234é")).toBe(false);
  });

  test("a policy that requires a symbol counts Cognito's symbols and inner spaces, not outer ones", () => {
    const strict: PasswordPolicy = { ...SHOPPER_PASSWORD_POLICY, requireSymbols: true };
    expect(passwordAccepted("Secret12", strict)).toBe(false);
    expect(passwordAccepted("Secret-12", strict)).toBe(true);
    expect(passwordAccepted("Secret 12", strict)).toBe(true);
    expect(
      passwordRules("Secret12 ", strict)
        .filter((rule) => !rule.met)
        .map((rule) => rule.text),
    ).toEqual(["A symbol, such as ! ? # or -", "No space at the start or end"]);
  });
});
