import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function HeatmapPage() {
  return <Page title="HeatmapPage">{null}</Page>;
}
