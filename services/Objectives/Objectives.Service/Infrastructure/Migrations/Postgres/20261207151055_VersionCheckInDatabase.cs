using Microsoft.EntityFrameworkCore.Migrations;
using PerfPlatform.BuildingBlocks.Persistence;

#nullable disable

namespace PerfPlatform.Objectives.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VersionCheckInDatabase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "VersionBase",
                table: "plan_years",
                type: "bigint",
                nullable: true);

            // The database refuses an update of a year made from another version than the row's (BuildingBlocks' VersionCheck).
            migrationBuilder.Sql(VersionCheck.PostgresTrigger("plan_years", "Version", "VersionBase"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(VersionCheck.DropPostgresTrigger("plan_years"));
            migrationBuilder.DropColumn(
                name: "VersionBase",
                table: "plan_years");
        }
    }
}
