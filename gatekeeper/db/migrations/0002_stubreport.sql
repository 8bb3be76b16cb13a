ALTER TABLE `completions` ADD `report_seq` integer;
