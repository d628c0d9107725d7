import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function AuditPage() {
  return <Page title="AuditPage">{null}</Page>;
}
