import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function AssessmentPage() {
  return <Page title="AssessmentPage">{null}</Page>;
}
