import { describe, expect, it } from 'vitest';
import { validateComment } from './comment';

describe('validateComment', () => {
  it('asks for a comment when required', () => {
    expect(validateComment('', true)).toBe('required');
    expect(validateComment('   \n ', true)).toBe('required');
  });

  it('asks for at least 10 characters after trimming, counting letters not bytes', () => {
    expect(validateComment('  troppo  ', true)).toBe('tooShort');
    expect(validateComment('123456789', true)).toBe('tooShort');
    expect(validateComment('1234567890', true)).toBeNull();
    expect(validateComment('perché è così', true)).toBeNull();
    expect(validateComment('àèìòùàèìò', true)).toBe('tooShort');
  });

  it('accepts an empty optional comment, and any short one', () => {
    expect(validateComment('', false)).toBeNull();
    expect(validateComment('ok', false)).toBeNull();
  });

  it('refuses a text longer than the server accepts', () => {
    expect(validateComment('x'.repeat(10001), false)).toBe('tooLong');
    expect(validateComment('x'.repeat(10000), true)).toBeNull();
  });
});
