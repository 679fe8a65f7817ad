// A list filter on a linked record (Company, Owner, Stage...), AdminJS's own but asking for its choices only
// when someone opens it: AdminJS's loads them as the list mounts its (hidden) filter drawer, one search
// request per linked column on every list page, eight on deals, for a drawer most visits never open.
// A filter already set (a shared link, a reload) shows the record's title, not an empty box.
import { ApiClient, PropertyLabel, type FilterPropertyProps } from 'adminjs';
import { FormGroup, SelectAsync } from '@adminjs/design-system';
import React, { useEffect, useMemo, useState } from 'react';

type Choice = { value: string | number; label: string };

const ReferenceFilter: React.FC<FilterPropertyProps> = ({ property, filter, onChange }) => {
  const api = useMemo(() => new ApiClient(), []);
  const resourceId = property.reference!;
  const [choices, setChoices] = useState<Choice[] | null>(null); // null: not asked for yet
  const [loading, setLoading] = useState(false);
  const [chosen, setChosen] = useState<Choice | null>(null);
  const value = filter[property.path] === undefined ? '' : String(filter[property.path]);

  const search = async (query: string): Promise<Choice[]> =>
    (await api.searchRecords({ resourceId, query })).map((r) => ({ value: r.id, label: r.title }));

  useEffect(() => {
    if (!value) return setChosen(null);
    if (chosen && String(chosen.value) === value) return;
    let current = true;
    api
      .recordAction({ resourceId, recordId: value, actionName: 'show' })
      .then((res) => current && setChosen({ value, label: res.data.record?.title ?? value }))
      .catch(() => current && setChosen({ value, label: value }));
    return () => {
      current = false;
    };
  }, [value]);

  const openChoices = () => {
    if (choices || loading) return;
    setLoading(true);
    search('')
      .then(setChoices, () => setChoices([]))
      .finally(() => setLoading(false));
  };

  return (
    <FormGroup>
      <PropertyLabel property={property} filter />
      <SelectAsync
        variant="filter"
        value={chosen ?? ''}
        isClearable
        cacheOptions
        loadOptions={search}
        defaultOptions={choices ?? []}
        isLoading={loading}
        onMenuOpen={openChoices}
        onChange={(selected: Choice | null) => {
          setChosen(selected);
          onChange(property.path, selected ? selected.value : '');
        }}
      />
    </FormGroup>
  );
};

export default ReferenceFilter;
