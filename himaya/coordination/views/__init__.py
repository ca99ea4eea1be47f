"""The coordination pages: the plan and its measures (``plan``), the recommendations and their
export (``recommendations``), trainings and meetings (``work``), the commission's dashboard
(``dashboard``)."""
