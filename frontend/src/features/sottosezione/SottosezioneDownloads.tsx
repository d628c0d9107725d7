// The whole sottosezione as one document for the Giunta (ODT, DOCX, accessible PDF) and the data for ANAC's
// PTPCT platform (Excel, CSV), downloaded through the authenticated client (GET /cycles/:cycle/sottosezione/exports/:file).
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { DownloadButtons } from '../../components/DownloadButtons';

export const sottosezioneFiles = [
  { file: 'sottosezione.pdf', key: 'pdf' },
  { file: 'sottosezione.odt', key: 'odt' },
  { file: 'sottosezione.docx', key: 'docx' },
  { file: 'piattaforma-anac.xlsx', key: 'platformXlsx' },
  { file: 'piattaforma-anac.csv', key: 'platformCsv' },
] as const;

export function SottosezioneDownloads({ cycle }: { cycle: string }) {
  const { t } = useTranslation('sottosezione');
  const files = sottosezioneFiles.map(({ file, key }) => ({ file, label: t(`downloads.${key}`) }));
  const fetchFile = (file: string) =>
    api.download('GET /api/v1/cycles/:cycle/sottosezione/exports/:file', { params: { cycle, file } }, `${cycle}_${file}`);

  return (
    <section className="sottosezione-downloads mb-4" aria-labelledby="sottosezione-downloads-title">
      <h2 id="sottosezione-downloads-title" className="h5">
        {t('downloads.heading')}
      </h2>
      <p className="small mb-2">{t('downloads.note')}</p>
      <DownloadButtons files={files} fetchFile={fetchFile} preparing={(file) => t('downloads.preparing', { file })} done={(file) => t('downloads.done', { file })} />
    </section>
  );
}
