import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function HomePage() {
  return <Page title="HomePage">{null}</Page>;
}
