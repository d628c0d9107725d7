import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function ReviewQueuePage() {
  return <Page title="ReviewQueuePage">{null}</Page>;
}
