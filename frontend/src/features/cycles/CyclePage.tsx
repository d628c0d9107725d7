import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function CyclePage() {
  return <Page title="CyclePage">{null}</Page>;
}
