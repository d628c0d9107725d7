// Cards that lead to a section: a heading, one line on what it is for, and the link (the whole text of the
// link names the destination, so a screen reader's list of links makes sense on its own).
import { Link } from 'react-router-dom';

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
          <div className="card shadow-sm h-100 home-card">
            <div className="card-body">
              <h3 className="h5 card-title">
                <Link to={c.to}>{c.title}</Link>
              </h3>
              <p className="card-text">{c.text}</p>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
