import { describe, expect, it } from 'vitest';
import { preloadScreen } from './App';
import RegisterPage from '../features/register/RegisterPage';
import AssessmentPage from '../features/assessment/AssessmentPage';

describe('preloadScreen', () => {
  it('loads the screen at a path once, the same load the route renders', async () => {
    const first = preloadScreen('/registro');
    expect(first).toBeDefined();
    expect(preloadScreen('/registro')).toBe(first);
    await expect(first).resolves.toMatchObject({ default: RegisterPage });
  });

  it('matches a screen with parameters', async () => {
    await expect(preloadScreen('/valutazioni/C2.2.1')).resolves.toMatchObject({ default: AssessmentPage });
  });

  it('loads nothing for a path that is not a signed-in screen', () => {
    expect(preloadScreen('/accessibilita')).toBeUndefined();
    expect(preloadScreen('/non-esiste')).toBeUndefined();
  });
});
