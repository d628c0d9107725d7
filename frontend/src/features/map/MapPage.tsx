import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function MapPage() {
  return <Page title="MapPage">{null}</Page>;
}
