import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function MonitoringPage() {
  return <Page title="MonitoringPage">{null}</Page>;
}
