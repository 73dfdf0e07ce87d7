import { useId, type InputHTMLAttributes } from 'react';

type TextFieldProps = {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string;
  multiline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement & HTMLTextAreaElement>, 'name'>;

/** A labelled input with its hint and, from the server's typed error, its message right below it. */
export function TextField({ label, name, error, hint, multiline = false, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const shared = {
    id,
    name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    ...input,
  };
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea rows={4} {...shared} /> : <input {...shared} />}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error" data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}
