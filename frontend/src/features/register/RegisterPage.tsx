import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function RegisterPage() {
  return <Page title="RegisterPage">{null}</Page>;
}
