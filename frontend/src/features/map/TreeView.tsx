// The process map as nested lists with disclosure buttons (aria-expanded): every level reachable with Tab and
// Enter/Space, each node a link that selects it (the selection is in the URL). Collapsed branches are not
// rendered, so the page stays light with the whole map loaded.
import { memo } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TreeNode } from '../../api/schema.gen';
import { stateBadgeClass } from '../../components/Badges';
import { childrenShown, type LeafStatus, type TreeFilter } from './tree';

export interface TreeProps {
  nodes: TreeNode[];
  label: string;
  filter: TreeFilter | null;
  expanded: Set<string>;
  onToggle: (code: string) => void;
  selected: string;
  hrefOf: (code: string) => string;
  /** leaf states from the register; undefined when the user may not read it or it is loading */
  statuses?: Map<string, LeafStatus>;
  showRisk: boolean;
}

type ItemProps = Omit<TreeProps, 'nodes' | 'label'> & { node: TreeNode };

const TreeItem = memo(function TreeItem({ node, filter, expanded, onToggle, selected, hrefOf, statuses, showRisk }: ItemProps) {
  const { t } = useTranslation('map');
  const { children, childFilter } = childrenShown(node, filter);
  const open = children.length > 0 && expanded.has(node.code);
  const listId = `tree-children-${node.code}`;
  const context = filter !== null && !filter.matches.has(node.code);
  const status = node.is_leaf ? statuses?.get(node.code) : undefined;
  const level = (node.is_leaf && status?.level) || node.risk_level || '';
  const meta: string[] = [];
  if (node.units?.length) meta.push(t('meta.units', { list: node.units.join(', ') }));
  if (node.risk_areas?.length) meta.push(t('meta.areas', { list: node.risk_areas.join(', ') }));
  if (node.strategic_objectives?.length) meta.push(t('meta.objectives', { list: node.strategic_objectives.join(', ') }));
  if (node.marker) meta.push(t('meta.marker', { marker: node.marker }));
  return (
    <li className={`tree-item tree-${node.level}`}>
      <div className={`tree-row${context ? ' tree-context' : ''}${selected === node.code ? ' tree-selected' : ''}`}>
        {children.length > 0 ? (
          <button type="button" className="tree-toggle" aria-expanded={open} aria-controls={open ? listId : undefined} onClick={() => onToggle(node.code)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
            <span className="visually-hidden">{t('toggle', { code: node.code })}</span>
          </button>
        ) : (
          <span className="tree-toggle-spacer" aria-hidden="true" />
        )}
        <div className="tree-body">
          <Link to={hrefOf(node.code)} className="tree-link" aria-current={selected === node.code ? 'true' : undefined}>
            <span className="tree-code">{node.code}</span> {node.title}
          </Link>
          {context && <span className="visually-hidden"> ({t('context')})</span>}
          <span className="tree-tags">
            <span className="tree-level">{t(`common:nodeLevels.${node.level}`)}</span>
            {showRisk && level && <span className={`badge level-badge level-${level}`}>{t('riskLevel', { level: t(`common:levels.${level}`, { defaultValue: level }).toLowerCase() })}</span>}
            {node.is_leaf &&
              statuses &&
              (status ? (
                <>
                  <span className={stateBadgeClass(status.state)}>{t(`common:states.${status.state || 'none'}`, { defaultValue: status.state })}</span>
                  {status.missing !== undefined && (
                    <span className="tree-completeness small">{status.complete ? t('common:completeness.complete') : t('common:completeness.missing', { count: status.missing })}</span>
                  )}
                </>
              ) : (
                <span className="tree-none">{t('noAssessment')}</span>
              ))}
          </span>
          {meta.length > 0 && <span className="tree-meta">{meta.join(' · ')}</span>}
        </div>
      </div>
      {open && (
        <ul id={listId} className="tree-list">
          {children.map((c) => (
            <TreeItem key={c.code} node={c} filter={childFilter} expanded={expanded} onToggle={onToggle} selected={selected} hrefOf={hrefOf} statuses={statuses} showRisk={showRisk} />
          ))}
        </ul>
      )}
    </li>
  );
});

export function TreeView({ nodes, label, ...rest }: TreeProps) {
  const top = nodes.filter((n) => !rest.filter || rest.filter.visible.has(n.code));
  return (
    <ul className="tree-list tree-root" aria-label={label} data-testid="process-tree">
      {top.map((n) => (
        <TreeItem key={n.code} node={n} {...rest} />
      ))}
    </ul>
  );
}
