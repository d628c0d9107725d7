import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function CataloguePage() {
  return <Page title="CataloguePage">{null}</Page>;
}
