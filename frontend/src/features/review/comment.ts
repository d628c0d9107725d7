// The comment of a return and the reason of a reopening: the server asks for at least 10 characters (runes,
// after trimming), so the form checks the same before sending and names the problem in Italian.
export const MIN_COMMENT_LENGTH = 10;
export const MAX_COMMENT_LENGTH = 10000;

export type CommentProblem = 'required' | 'tooShort' | 'tooLong';

export function commentLength(text: string): number {
  return [...text.trim()].length;
}

/** validateComment returns what is wrong with a comment, or null; an optional comment may be empty. */
export function validateComment(text: string, required = true): CommentProblem | null {
  const n = commentLength(text);
  if (n === 0) return required ? 'required' : null;
  if (required && n < MIN_COMMENT_LENGTH) return 'tooShort';
  if (n > MAX_COMMENT_LENGTH) return 'tooLong';
  return null;
}
