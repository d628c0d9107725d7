// Home of the OIV: read-only entry points (register, heat map, audit trail) and the adopted cycles with their
// deliberation. No action buttons: the OIV verifies, it does not change the register.
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { formatDate } from '../../lib/format';
import { LinkCards } from './LinkCards';

export function OivHome() {
  const { t } = useTranslation('home');
  const s = useSession();
  const adopted = s.cycles.filter((c) => c.state === 'adopted' || c.state === 'published').sort((a, b) => b.start_year - a.start_year);
  return (
    <section aria-labelledby="home-oiv-title" className="mb-5" data-testid="home-oiv">
      <h2 className="h3" id="home-oiv-title">
        {t('oiv.title')}
      </h2>
      <p>{t('oiv.intro')}</p>
      <LinkCards
        cards={[
          { to: '/registro', title: t('oiv.register'), text: t('oiv.registerText') },
          { to: '/mappa-di-calore', title: t('oiv.heatmap'), text: t('oiv.heatmapText') },
          { to: '/attivita', title: t('oiv.audit'), text: t('oiv.auditText') },
        ]}
      />
      {adopted.length === 0 ? (
        <p data-testid="home-no-adopted">{t('oiv.noAdopted')}</p>
      ) : (
        <div className="table-responsive">
          <table className="table stack-table table-sm home-table">
            <caption>{t('oiv.adoptedCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('oiv.cycle')}</th>
                <th scope="col">{t('oiv.state')}</th>
                <th scope="col">{t('oiv.deliberation')}</th>
                <th scope="col">{t('oiv.publication')}</th>
              </tr>
            </thead>
            <tbody>
              {adopted.map((c) => (
                <tr key={c.code}>
                  <th scope="row">{c.code}</th>
                  <td>{t(`common:cycleStates.${c.state}`)}</td>
                  <td>
                    {c.deliberation_number
                      ? t('oiv.deliberationValue', { number: c.deliberation_number, date: formatDate(c.deliberation_date) })
                      : t('oiv.notRecorded')}
                  </td>
                  <td>
                    {c.published_url ? (
                      <a href={c.published_url} rel="noopener noreferrer">
                        {t('oiv.publishedOn', { date: formatDate(c.published_on) })}
                        <span className="visually-hidden"> {t('oiv.cycleSuffix', { cycle: c.code })}</span>
                      </a>
                    ) : (
                      t('oiv.notPublished')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
