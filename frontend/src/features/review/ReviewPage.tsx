import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function ReviewPage() {
  return <Page title="ReviewPage">{null}</Page>;
}
