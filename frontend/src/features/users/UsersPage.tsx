import { Page } from '../../components/Page';

// Placeholder: replaced by the feature's screen.
export default function UsersPage() {
  return <Page title="UsersPage">{null}</Page>;
}
