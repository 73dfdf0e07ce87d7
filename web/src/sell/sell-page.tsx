import { useMutation } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { SignInRequired } from '../auth/sign-in-required';
import { navigate } from '../routing/navigation';
import { productPath } from '../routing/routes';
import { useDocumentTitle } from '../routing/use-document-title';
import { useSession } from '../session/session-context';
import { CheckedForm } from '../ui/checked-form';
import { formMessageOf, serverFieldErrors } from '../ui/server-field-errors';
import { TextField } from '../ui/text-field';
import { useCheckedForm } from '../ui/use-checked-form';
import { checkSellForm, readSellForm } from './sell-checks';
import { REGISTER_PRODUCT } from './sell.operations';

export function SellPage() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session) return <SignInRequired reason={t('sell.signInFor')} />;
  return <SellForm />;
}

/** Lists an item for sale: every field checked at once here, then by the server. */
function SellForm() {
  const { t } = useTranslation();
  useDocumentTitle(t('sell.title'));
  const [register] = useMutation(REGISTER_PRODUCT, {
    update: (cache) => {
      cache.evict({ fieldName: 'products' });
      cache.gc();
    },
  });
  const form = useCheckedForm({
    check: (data) => checkSellForm(data, t),
    send: async (data) => {
      const { data: answer } = await register({ variables: { input: readSellForm(data) } });
      if (answer) navigate(productPath(answer.registerProduct.id));
    },
  });

  const fields = { ...serverFieldErrors(form.error, t), ...form.checked };
  const formMessage = formMessageOf(form.error, fields, t);
  return (
    <section className="panel narrow" aria-labelledby="sell-title">
      <h1 id="sell-title">{t('sell.title')}</h1>
      <CheckedForm
        form={form}
        fields={fields}
        message={formMessage}
        submit={{ label: t('sell.submit'), busyLabel: t('sell.busy'), className: 'button button--primary' }}
      >
        <TextField
          label={t('sell.titleLabel')}
          name="title"
          hint={t('sell.titleHint')}
          error={fields.title}
        />
        <TextField
          label={t('sell.descriptionLabel')}
          name="description"
          multiline
          hint={t('sell.descriptionHint')}
          error={fields.description}
        />
        <TextField
          label={t('sell.priceLabel')}
          name="priceKrw"
          inputMode="numeric"
          autoComplete="off"
          hint={t('sell.priceHint')}
          error={fields.priceKrw}
        />
        <TextField
          label={t('sell.imageUrlLabel')}
          name="imageUrl"
          type="url"
          inputMode="url"
          hint={t('sell.imageUrlHint')}
          error={fields.imageUrl}
        />
      </CheckedForm>
    </section>
  );
}
