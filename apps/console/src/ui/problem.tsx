// A problem answer shown where it happened, in the chosen language: the summary, and each field the API named.
import { Alert } from 'antd';
import type { FormInstance } from 'antd';
import { ApiProblem } from '../api/client';
import { fieldMessage, problemText } from '../i18n/problems';
import { useLocale } from '../i18n/locale';
import type { Language } from '../i18n/messages';

/** The one line a person reads for a failure, in their language. */
export function problemMessage(error: unknown, language: Language): string {
  if (error instanceof ApiProblem) return problemText(error.code, error.detail, language);
  return error instanceof Error ? error.message : String(error);
}

export function ProblemAlert({ error, testId }: { error: unknown; testId?: string }) {
  const { language } = useLocale();
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : null;
  const message = problemMessage(error, language);
  const fields = problem?.errors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid={testId ?? 'problem'}
      data-code={problem?.code}
      title={message}
      description={
        fields.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {fields.map((f) => (
              <li key={f.field}>
                <bdi>{f.field}</bdi>: {fieldMessage(f.message, language)}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

/**
 * Puts the API's field errors on the form's own fields (so the message is next to the input), for the fields the form
 * has; true when it could place at least one.
 */
export function showFieldErrors(form: FormInstance, error: unknown, language: Language): boolean {
  if (!(error instanceof ApiProblem) || !error.errors.length) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true)));
  const placed = error.errors.filter((e) => known.has(e.field.split('.')[0]));
  form.setFields(placed.map((e) => ({ name: e.field.split('.'), errors: [fieldMessage(e.message, language)] })));
  return placed.length > 0;
}
