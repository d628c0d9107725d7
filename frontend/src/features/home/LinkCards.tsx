// The home page's cards (HomeCard), and cards that lead to a section (LinkCards): a heading, one line on what it
// is for, and the link (the whole text of the link names the destination, so a screen reader's list of links makes
// sense on its own).
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** A card of the home page: its heading, then what it says. */
export function HomeCard({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="card shadow-sm h-100 home-card">
      <div className="card-body">
        <h3 className="h5 card-title">{title}</h3>
        {children}
      </div>
    </div>
  );
}

export interface LinkCard {
  to: string;
  title: string;
  text: string;
}

export function LinkCards({ cards }: { cards: LinkCard[] }) {
  return (
    <ul className="row g-3 list-unstyled mb-4">
      {cards.map((c) => (
        <li className="col-md-4" key={c.to}>
          <HomeCard title={<Link to={c.to}>{c.title}</Link>}>
            <p className="card-text">{c.text}</p>
          </HomeCard>
        </li>
      ))}
    </ul>
  );
}
